// Read one feed with Node's rss-parser (npm, installed by .ci/run into ./node_modules), fetched by
// it over HTTP, and print what it shows a program as one JSON object:
//   {"title", "link", "language", "items": [{"id", "guid", "title", "link", "isoDate"}]}
// isoDate is rss-parser's own reading of pubDate (RSS) or published/updated (Atom), in UTC.
// Usage: node rss_parser.js URL
"use strict";
const Parser = require("rss-parser");

async function main(url) {
  const feed = await new Parser({ timeout: 30000 }).parseURL(url);
  const items = feed.items.map((item) => ({
    id: item.id ?? null,
    guid: item.guid ?? null,
    title: item.title ?? null,
    link: item.link ?? null,
    isoDate: item.isoDate ?? null,
  }));
  const out = { title: feed.title ?? null, link: feed.link ?? null, language: feed.language ?? null, items };
  process.stdout.write(JSON.stringify(out) + "\n");
}

main(process.argv[2]).catch((err) => {
  process.stderr.write(`rss-parser: ${err.stack || err}\n`);
  process.exit(1);
});
