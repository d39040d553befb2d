CREATE TABLE crm_contacts (id VARCHAR(40) PRIMARY KEY, email VARCHAR(200));
INSERT INTO crm_contacts VALUES ('c-ann', 'ann@example.com');
