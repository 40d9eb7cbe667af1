INSERT INTO products (id, name, price_cents) VALUES (1, 'Desk lamp', 2499);
INSERT INTO products (id, name, price_cents) VALUES (2, 'Oak chair', 8900);
INSERT INTO products (id, name, price_cents) VALUES (3, 'Notebook', 350);
