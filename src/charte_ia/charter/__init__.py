"""The Charter model: which clauses apply to an organisation, each placeholder resolved or left blank."""
