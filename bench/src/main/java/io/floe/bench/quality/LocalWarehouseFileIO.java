package io.floe.bench.quality;

import org.apache.iceberg.hadoop.HadoopFileIO;

/**
 * Hadoop's FileIO for a benchmark warehouse on the local disk, deleting a batch of files on the
 * calling thread. Hadoop's own bulk delete hands the batch to Iceberg's {@code Tasks}, which waits
 * for it in 10 ms sleeps; S3's FileIO sends a batch as one request and waits for that request
 * alone. The log tables' commits delete a superseded metadata file each, so on Hadoop's FileIO
 * every one of them would wait 10 ms that the object store never costs.
 */
public final class LocalWarehouseFileIO extends HadoopFileIO {
  @Override
  public void deleteFiles(Iterable<String> paths) {
    paths.forEach(this::deleteFile);
  }
}
