-- requires: catalog 0001_initial
CREATE TABLE billing_currency (code VARCHAR(3) PRIMARY KEY);
INSERT INTO billing_currency (code) VALUES ('EUR'), ('USD');
CREATE TABLE billing_invoice (
    id INTEGER PRIMARY KEY,
    product_id BIGINT NOT NULL,
    total INTEGER NOT NULL,
    FOREIGN KEY (product_id) REFERENCES catalog_product (id)
);
