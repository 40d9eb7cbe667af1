-- requires: catalog 0002_refund
CREATE TABLE billing_payment (
    id INTEGER PRIMARY KEY,
    refund_id BIGINT NOT NULL,
    FOREIGN KEY (refund_id) REFERENCES catalog_refund (id)
);
