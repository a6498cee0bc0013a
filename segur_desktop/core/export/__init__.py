"""Ready-to-deposit bundles: one folder (or zip) per export, verified, never half-written.

On the ASP portal a deposit is one JSON file plus one zip of its attachments;
when the zip does not hold exactly what the JSON names, the requests are
created "incomplete" and must be repaired by hand (DOMAIN.md). This package
turns a validated batch into a bundle that makes that impossible, and checks
any bundle again later:

- `plan`: what goes in and what is left out, and why (invalid, closed guichet
  not marked « hors délai », couloir not chosen);
- `attachments`: the deterministic attachment names and the demande rewritten to them;
- `zips`: deterministic, streamed zip archives;
- `manifest`: the bundle's inventory (hashes, counts, amounts, sources, hors délai);
- `recap` and `anomalies`: the printable summary and the workbook of rejected rows;
- `verify`: the checks made after writing, and by `segur-desktop verify` on any bundle;
- `bundle`: the export itself: temporary folder, verification, then one rename.

Nothing here imports Qt; long work takes a progress callback and a CancelToken.
"""
