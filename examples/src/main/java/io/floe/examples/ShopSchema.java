package io.floe.examples;

import java.util.List;

/**
 * The upstream application database of the e-commerce example (the shared data contract), plus the
 * generator's own bookkeeping table in schema {@code floe_generator}.
 */
final class ShopSchema {
  /** Tables in load order (referenced tables first). */
  static final List<String> TABLES =
      List.of(
          "users",
          "buyers",
          "sellers",
          "categories",
          "products",
          "product_x_category",
          "seller_x_product",
          "orders",
          "order_items");

  static final List<String> DDL =
      List.of(
          """
          CREATE TABLE IF NOT EXISTS public.users (
            user_id bigint PRIMARY KEY, email varchar(200), full_name varchar(200),
            country char(2), created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS public.buyers (
            buyer_id bigint PRIMARY KEY, user_id bigint NOT NULL, loyalty_tier varchar(10),
            created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS public.sellers (
            seller_id bigint PRIMARY KEY, user_id bigint NOT NULL, company_name varchar(200),
            country char(2), created_at timestamptz NOT NULL, updated_at timestamptz NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS public.categories (
            category_id int PRIMARY KEY, name varchar(100) NOT NULL, parent_category_id int,
            updated_at timestamptz NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS public.products (
            product_id bigint PRIMARY KEY, name varchar(200) NOT NULL, brand varchar(100),
            list_price numeric(12,2) NOT NULL, status varchar(20) NOT NULL,
            updated_at timestamptz NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS public.product_x_category (
            product_id bigint NOT NULL, category_id int NOT NULL, updated_at timestamptz NOT NULL,
            PRIMARY KEY (product_id, category_id))""",
          """
          CREATE TABLE IF NOT EXISTS public.seller_x_product (
            seller_id bigint NOT NULL, product_id bigint NOT NULL, price numeric(12,2) NOT NULL,
            updated_at timestamptz NOT NULL, PRIMARY KEY (seller_id, product_id))""",
          """
          CREATE TABLE IF NOT EXISTS public.orders (
            order_id bigint PRIMARY KEY, buyer_id bigint NOT NULL, status varchar(20) NOT NULL,
            order_ts timestamptz NOT NULL, currency char(3) NOT NULL,
            updated_at timestamptz NOT NULL)""",
          """
          CREATE TABLE IF NOT EXISTS public.order_items (
            order_id bigint NOT NULL, line_no int NOT NULL, product_id bigint NOT NULL,
            seller_id bigint NOT NULL, quantity int NOT NULL, unit_price numeric(12,2) NOT NULL,
            discount numeric(12,2) NOT NULL, updated_at timestamptz NOT NULL,
            PRIMARY KEY (order_id, line_no))""",
          "CREATE SCHEMA IF NOT EXISTS floe_generator",
          """
          CREATE TABLE IF NOT EXISTS floe_generator.batches (
            batch int PRIMARY KEY, seed bigint NOT NULL, orders bigint NOT NULL,
            last_order_id bigint NOT NULL, last_user_id bigint NOT NULL,
            last_product_id bigint NOT NULL, sellers int NOT NULL,
            generated_at timestamptz NOT NULL DEFAULT now())""");

  /** Incremental reads filter on updated_at; an index keeps them from scanning whole tables. */
  static List<String> indexes() {
    return TABLES.stream()
        .map(
            table ->
                "CREATE INDEX IF NOT EXISTS %s_updated_at ON public.%s (updated_at)"
                    .formatted(table, table))
        .toList();
  }

  private ShopSchema() {}
}
