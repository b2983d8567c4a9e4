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
  'storage.location.template' = 's3://analytics-lake/events/payment/year=${year}/month=${month}/day=${day}/hour=${hour}/',
  'streaming.schema_version' = '2'
);

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
  'storage.location.template' = 's3://analytics-lake/events/user_registration/year=${year}/month=${month}/day=${day}/hour=${hour}/',
  'streaming.schema_version' = '1'
);
