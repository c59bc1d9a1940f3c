"""Reading and validating data/: bounded YAML, typed models, cross-references, French errors."""
