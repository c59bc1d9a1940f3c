"""What MkDocs calls through hooks.py and macros.py: data per build, generated pages and files, offline build."""
