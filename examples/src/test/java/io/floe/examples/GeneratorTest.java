package io.floe.examples;

import static io.floe.examples.ExamplePipelines.postgres;
import static org.assertj.core.api.Assertions.assertThat;

import io.floe.examples.junit.UpstreamExtension;
import io.floe.pipeline.S3Access;
import io.floe.pipeline.S3Location;
import io.floe.stack.junit.Lakehouse;
import io.floe.stack.junit.LakehouseExtension;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.s3.S3Client;

@ExtendWith({LakehouseExtension.class, UpstreamExtension.class})
class GeneratorTest {

  @Test
  void theSameSeedGivesTheSameRowsFilesAndDefects(Lakehouse lakehouse, EcommerceUpstream upstream)
      throws Exception {
    String a = lakehouse.namespace() + "_a";
    String b = lakehouse.namespace() + "_b";
    Generator.Ecommerce first =
        ExamplePipelines.generator(upstream, lakehouse.endpoints(), a).orders(400).defectRate(0.05);
    assertThat(first.generatedBatches()).isZero();
    GeneratedBatch batchA = first.generate();
    GeneratedBatch batchB =
        ExamplePipelines.generator(upstream, lakehouse.endpoints(), b)
            .orders(400)
            .defectRate(0.05)
            .generate();
    assertThat(first.generatedBatches()).isEqualTo(1);
    assertThat(batchA.inserted()).isEqualTo(batchB.inserted());
    assertThat(batchA.defects()).isEqualTo(batchB.defects()).isNotEmpty();
    assertThat(batchA.clickstreamLines()).isEqualTo(batchB.clickstreamLines());
    for (String table : ShopSchema.TABLES) {
      String digest =
          "SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) FROM public.%s t".formatted(table);
      assertThat(postgres(upstream, a, digest)).as(table).isEqualTo(postgres(upstream, b, digest));
    }
    // the data contract: revenue inputs are consistent and every order has items
    assertThat(
            postgres(
                upstream,
                a,
                "SELECT count(*) FROM public.orders o WHERE NOT EXISTS (SELECT 1 FROM public.order_items i WHERE i.order_id = o.order_id)"))
        .isEqualTo(List.of(List.of(0L)));
    assertThat(
            postgres(
                upstream,
                a,
                "SELECT count(*) FROM public.order_items WHERE quantity * unit_price - discount <= 0"))
        .isEqualTo(List.of(List.of(0L)));
    try (S3Client s3 = S3Access.client(lakehouse.endpoints())) {
      for (int i = 0; i < batchA.clickstreamFiles().size(); i++) {
        S3Location fileA = S3Location.parse(batchA.clickstreamFiles().get(i));
        S3Location fileB = S3Location.parse(batchB.clickstreamFiles().get(i));
        assertThat(
                s3.getObjectAsBytes(r -> r.bucket(fileA.bucket()).key(fileA.key())).asByteArray())
            .isEqualTo(
                s3.getObjectAsBytes(r -> r.bucket(fileB.bucket()).key(fileB.key())).asByteArray());
      }
    }

    GeneratedBatch next = first.orders(100).generate();
    assertThat(next.batch()).isEqualTo(1);
    assertThat(next.updated("orders")).isPositive();
    assertThat(
            postgres(
                upstream,
                a,
                "SELECT count(*) FROM public.orders WHERE updated_at >= TIMESTAMPTZ '2026-01-29 00:00:00+00'"))
        .isEqualTo(List.of(List.of(next.inserted("orders") + next.updated("orders"))));
  }

  @Test
  void tweetsAreDeterministicAndCountTheirDefects() throws Exception {
    ByteArrayOutputStream one = new ByteArrayOutputStream();
    ByteArrayOutputStream two = new ByteArrayOutputStream();
    GeneratedTweets first = Generator.tweets().count(2000).defectRate(0.05).writeTo(one);
    GeneratedTweets second = Generator.tweets().count(2000).defectRate(0.05).writeTo(two);
    assertThat(one.toByteArray()).isEqualTo(two.toByteArray());
    assertThat(first).isEqualTo(second);
    assertThat(first.malformed()).isBetween(50L, 150L);
    assertThat(first.bytes()).isEqualTo(one.size());
    String[] lines = one.toString(java.nio.charset.StandardCharsets.UTF_8).split("\n");
    assertThat(lines[0]).isEqualTo("tweet_id\tcreated_at\tuser_id\tlang\ttext");
    assertThat(lines).hasSize(2001);
    GeneratedTweets other =
        Generator.tweets().seed(7).count(2000).writeTo(new ByteArrayOutputStream());
    assertThat(other.sha256()).isNotEqualTo(first.sha256());
  }
}
