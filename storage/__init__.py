"""The SQL database: engine and sessions (db), tables (models), and small repositories."""
