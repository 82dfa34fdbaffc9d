-- One database per subgraph (each subgraph owns its store; none reads another's).
-- Run once by the postgres image on an empty data directory, as POSTGRES_USER, who owns them.
CREATE DATABASE identity;
CREATE DATABASE doctors;
CREATE DATABASE appointments;
CREATE DATABASE notifications;

-- The appointments store enforces "no overlapping active appointments" with an exclusion
-- constraint over (doctor, time range), which needs btree_gist.
\connect appointments
CREATE EXTENSION IF NOT EXISTS btree_gist;
