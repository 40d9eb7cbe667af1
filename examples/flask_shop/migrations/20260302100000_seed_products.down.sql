DELETE FROM products WHERE sku IN ('MUG-01', 'TEE-01', 'PIN-01');
