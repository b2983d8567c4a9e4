# Athena tables over the lake in s3://analytics-lake/events, written by `streaming ddl --format terraform`.
# Each aws_athena_named_query saves a table's CREATE statement in Athena (Saved queries); run it once.
# Each aws_glue_catalog_table creates the same table in the Glue catalog directly.

resource "aws_athena_named_query" "payment" {
  name        = "create table payment"
  description = "Lake table payment, schema version 2, with partition projection (streaming ddl)"
  database    = "analytics"
  query       = <<-EOT
    -- payment: schema version 2; partitions projected for 2021-2029.
    CREATE EXTERNAL TABLE IF NOT EXISTS analytics.payment (
      id string,
      `date` timestamp,
      type string,
      user_id bigint,
      locale string,
      country_code string,
      amount double,
      currency string,
      card_brand string,
      `order` bigint,
      `user` string,
      `9lives` boolean,
      hour_ bigint,
      coupons string,
      refund boolean,
      `select` string,
      `_rescued` string,
      `_date_raw` string
    )
    PARTITIONED BY (year int, month int, day int, hour int)
    STORED AS PARQUET
    LOCATION 's3://analytics-lake/events/payment/'
    TBLPROPERTIES (
      'projection.enabled' = 'true',
      'projection.year.type' = 'integer',
      'projection.year.range' = '2021,2029',
      'projection.month.type' = 'integer',
      'projection.month.range' = '1,12',
      'projection.month.digits' = '2',
      'projection.day.type' = 'integer',
      'projection.day.range' = '1,31',
      'projection.day.digits' = '2',
      'projection.hour.type' = 'integer',
      'projection.hour.range' = '0,23',
      'projection.hour.digits' = '2',
      'storage.location.template' = 's3://analytics-lake/events/payment/year=$${year}/month=$${month}/day=$${day}/hour=$${hour}/',
      'streaming.schema_version' = '2'
    );
  EOT
}

resource "aws_glue_catalog_table" "payment" {
  name          = "payment"
  database_name = "analytics"
  table_type    = "EXTERNAL_TABLE"
  description   = "Lake table payment, schema version 2 (streaming ddl)"

  parameters = {
    "EXTERNAL"                  = "TRUE"
    "classification"            = "parquet"
    "projection.enabled"        = "true"
    "projection.year.type"      = "integer"
    "projection.year.range"     = "2021,2029"
    "projection.month.type"     = "integer"
    "projection.month.range"    = "1,12"
    "projection.month.digits"   = "2"
    "projection.day.type"       = "integer"
    "projection.day.range"      = "1,31"
    "projection.day.digits"     = "2"
    "projection.hour.type"      = "integer"
    "projection.hour.range"     = "0,23"
    "projection.hour.digits"    = "2"
    "storage.location.template" = "s3://analytics-lake/events/payment/year=$${year}/month=$${month}/day=$${day}/hour=$${hour}/"
    "streaming.schema_version"  = "2"
  }

  partition_keys {
    name = "year"
    type = "int"
  }

  partition_keys {
    name = "month"
    type = "int"
  }

  partition_keys {
    name = "day"
    type = "int"
  }

  partition_keys {
    name = "hour"
    type = "int"
  }

  storage_descriptor {
    location      = "s3://analytics-lake/events/payment/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      name                  = "parquet"
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"

      parameters = {
        "serialization.format" = "1"
      }
    }

    columns {
      name = "id"
      type = "string"
    }

    columns {
      name = "date"
      type = "timestamp"
    }

    columns {
      name = "type"
      type = "string"
    }

    columns {
      name = "user_id"
      type = "bigint"
    }

    columns {
      name = "locale"
      type = "string"
    }

    columns {
      name = "country_code"
      type = "string"
    }

    columns {
      name = "amount"
      type = "double"
    }

    columns {
      name = "currency"
      type = "string"
    }

    columns {
      name = "card_brand"
      type = "string"
    }

    columns {
      name = "order"
      type = "bigint"
    }

    columns {
      name = "user"
      type = "string"
    }

    columns {
      name = "9lives"
      type = "boolean"
    }

    columns {
      name = "hour_"
      type = "bigint"
    }

    columns {
      name = "coupons"
      type = "string"
    }

    columns {
      name = "refund"
      type = "boolean"
    }

    columns {
      name = "select"
      type = "string"
    }

    columns {
      name = "_rescued"
      type = "string"
    }

    columns {
      name = "_date_raw"
      type = "string"
    }
  }
}

resource "aws_athena_named_query" "user_registration" {
  name        = "create table user_registration"
  description = "Lake table user_registration, schema version 1, with partition projection (streaming ddl)"
  database    = "analytics"
  query       = <<-EOT
    -- user_registration: schema version 1; partitions projected for 2021-2029.
    CREATE EXTERNAL TABLE IF NOT EXISTS analytics.user_registration (
      id string,
      `date` timestamp,
      type string,
      user_id bigint,
      locale string,
      country_code string,
      provider string,
      comment string
    )
    PARTITIONED BY (year int, month int, day int, hour int)
    STORED AS PARQUET
    LOCATION 's3://analytics-lake/events/user_registration/'
    TBLPROPERTIES (
      'projection.enabled' = 'true',
      'projection.year.type' = 'integer',
      'projection.year.range' = '2021,2029',
      'projection.month.type' = 'integer',
      'projection.month.range' = '1,12',
      'projection.month.digits' = '2',
      'projection.day.type' = 'integer',
      'projection.day.range' = '1,31',
      'projection.day.digits' = '2',
      'projection.hour.type' = 'integer',
      'projection.hour.range' = '0,23',
      'projection.hour.digits' = '2',
      'storage.location.template' = 's3://analytics-lake/events/user_registration/year=$${year}/month=$${month}/day=$${day}/hour=$${hour}/',
      'streaming.schema_version' = '1'
    );
  EOT
}

resource "aws_glue_catalog_table" "user_registration" {
  name          = "user_registration"
  database_name = "analytics"
  table_type    = "EXTERNAL_TABLE"
  description   = "Lake table user_registration, schema version 1 (streaming ddl)"

  parameters = {
    "EXTERNAL"                  = "TRUE"
    "classification"            = "parquet"
    "projection.enabled"        = "true"
    "projection.year.type"      = "integer"
    "projection.year.range"     = "2021,2029"
    "projection.month.type"     = "integer"
    "projection.month.range"    = "1,12"
    "projection.month.digits"   = "2"
    "projection.day.type"       = "integer"
    "projection.day.range"      = "1,31"
    "projection.day.digits"     = "2"
    "projection.hour.type"      = "integer"
    "projection.hour.range"     = "0,23"
    "projection.hour.digits"    = "2"
    "storage.location.template" = "s3://analytics-lake/events/user_registration/year=$${year}/month=$${month}/day=$${day}/hour=$${hour}/"
    "streaming.schema_version"  = "1"
  }

  partition_keys {
    name = "year"
    type = "int"
  }

  partition_keys {
    name = "month"
    type = "int"
  }

  partition_keys {
    name = "day"
    type = "int"
  }

  partition_keys {
    name = "hour"
    type = "int"
  }

  storage_descriptor {
    location      = "s3://analytics-lake/events/user_registration/"
    input_format  = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat"
    output_format = "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat"

    ser_de_info {
      name                  = "parquet"
      serialization_library = "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"

      parameters = {
        "serialization.format" = "1"
      }
    }

    columns {
      name = "id"
      type = "string"
    }

    columns {
      name = "date"
      type = "timestamp"
    }

    columns {
      name = "type"
      type = "string"
    }

    columns {
      name = "user_id"
      type = "bigint"
    }

    columns {
      name = "locale"
      type = "string"
    }

    columns {
      name = "country_code"
      type = "string"
    }

    columns {
      name = "provider"
      type = "string"
    }

    columns {
      name = "comment"
      type = "string"
    }
  }
}
