-- Two roles, neither a superuser (docker-compose.yml). The owner migrates and owns the tables;
-- the app's role reads and writes what `manage.py grant_app_role` grants it after each
-- migration: the audit logs only SELECT and INSERT, no TRUNCATE anywhere, no ALTER.
CREATE ROLE tyokyky_owner LOGIN PASSWORD 'tyokyky_owner' NOSUPERUSER NOCREATEROLE;
CREATE ROLE tyokyky_app LOGIN PASSWORD 'tyokyky_app' NOSUPERUSER NOCREATEROLE;
CREATE DATABASE tyokyky OWNER tyokyky_owner;
