CREATE TABLE report_daily (day VARCHAR(10) PRIMARY KEY, total INTEGER NOT NULL);
INSERT INTO report_daily (day, total) VALUES ('2025-01-01', 0);
