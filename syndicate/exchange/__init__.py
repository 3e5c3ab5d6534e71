"""Exchange formats for translators' tools: XLIFF 1.2, TMX 1.4 and the aligned text of `syndicate edit`."""
