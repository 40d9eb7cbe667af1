INSERT INTO products (id, sku, title, price_cents) VALUES (1, 'MUG-01', 'Goofer mug', 1200);
INSERT INTO products (id, sku, title, price_cents) VALUES (2, 'TEE-01', 'Goofer T-shirt; size M', 2500);
INSERT INTO products (id, sku, title, price_cents) VALUES (3, 'PIN-01', 'Enamel pin', 400);
