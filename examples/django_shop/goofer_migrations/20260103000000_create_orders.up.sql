CREATE TABLE orders (
    id INTEGER PRIMARY KEY,
    product_id INTEGER NOT NULL REFERENCES products (id),
    quantity INTEGER NOT NULL,
    placed_at TIMESTAMP NOT NULL
);
CREATE INDEX orders_product_id ON orders (product_id);
