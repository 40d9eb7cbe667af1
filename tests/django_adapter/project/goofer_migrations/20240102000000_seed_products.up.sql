INSERT INTO products (id, name, price_cents) VALUES (1, 'Lamp', 1999);
INSERT INTO products (id, name, price_cents) VALUES (2, 'Chair', 4999);
