-- payment: from schema version 1 to 2.
ALTER TABLE analytics.payment ADD COLUMNS (
  hour_ bigint,
  coupons string,
  refund boolean,
  `select` string,
  `_rescued` string,
  `_date_raw` string
);
ALTER TABLE analytics.payment SET TBLPROPERTIES ('streaming.schema_version' = '2');

-- user_registration: nothing to add; the lake's schema is at version 1.
