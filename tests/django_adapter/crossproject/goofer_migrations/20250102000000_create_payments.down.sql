DROP TABLE billing_payment;
