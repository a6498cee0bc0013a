"""One module per page of the side navigation; each takes the shared `Session`."""
