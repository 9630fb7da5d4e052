"""Files in and out of the surveys app: questionnaires as JSON, responses as CSV/XLSX."""
