"""Every write of the surveys app: one module per thing written, each change atomic and audited."""
