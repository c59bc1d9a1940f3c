"""One renderer per output format, each from the one Charter model, with shared escaping and typography."""
