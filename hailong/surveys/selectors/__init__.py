"""Every read of the surveys app, already scoped (a Scope or a Staff), one module per thing read."""
