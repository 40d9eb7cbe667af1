-- Placeholder until the shop's migrations are generated from examples/shop/entities.py.
CREATE TABLE customers (
    id INTEGER PRIMARY KEY,
    email VARCHAR(255) NOT NULL UNIQUE,
    name VARCHAR(100) NOT NULL
);
CREATE TABLE products (
    id INTEGER PRIMARY KEY,
    sku VARCHAR(32) NOT NULL UNIQUE,
    title VARCHAR(200) NOT NULL,
    price NUMERIC(10, 2) NOT NULL
);
