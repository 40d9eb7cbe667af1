-- Stock per product; every seeded product starts with some on the shelf.
CREATE TABLE stock (
    product_id INTEGER NOT NULL PRIMARY KEY,
    quantity INTEGER NOT NULL DEFAULT 0,
    CONSTRAINT stock_product FOREIGN KEY (product_id) REFERENCES products (id)
);
INSERT INTO stock (product_id, quantity) SELECT id, 10 FROM products;
