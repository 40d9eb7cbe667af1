DROP TABLE billing_invoice;
DROP TABLE billing_currency;
