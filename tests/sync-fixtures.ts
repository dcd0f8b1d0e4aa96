/**
 * Generated sync responses (ours, written from the documented structure of OAI-PMH ListRecords and
 * the arXiv API Atom feed; see ../shared/fixtures/real/NOTES.md §4 and §6 for the real shapes).
 */

/** The arXiv id of generated paper `n`. */
export function generatedId(n: number): string {
  return `2401.${String(n).padStart(5, '0')}`;
}

function oaiRecord(n: number): string {
  const id = generatedId(n);
  const datestamp = `2024-01-${String(1 + Math.floor(n / 10)).padStart(2, '0')}`;
  return `<record><header><identifier>oai:arXiv.org:${id}</identifier><datestamp>${datestamp}</datestamp><setSpec>cs</setSpec></header>
<metadata><arXiv xmlns="http://arxiv.org/OAI/arXiv/"><id>${id}</id><created>2024-01-02</created>
<authors><author><keyname>Doe</keyname><forenames>Jo</forenames></author></authors>
<title>Generated paper number ${n}</title><categories>cs.LG</categories><abstract>  Abstract of generated paper ${n}.
</abstract></arXiv></metadata></record>`;
}

/** One ListRecords page of `count` records from `first`; `token` null on the last page. */
export function oaiPage(first: number, count: number, total: number, token: string | null): string {
  const records = Array.from({ length: count }, (_, i) => oaiRecord(first + i)).join('\n');
  const resumption =
    token === null
      ? `<resumptionToken cursor="${first}" completeListSize="${total}"/>`
      : `<resumptionToken cursor="${first}" completeListSize="${total}">${token}</resumptionToken>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<OAI-PMH xmlns="http://www.openarchives.org/OAI/2.0/"><responseDate>2024-02-01T00:00:00Z</responseDate>
<ListRecords>${records}${resumption}</ListRecords></OAI-PMH>`;
}

/** An arXiv API Atom page with one entry per id. */
export function atomPage(ids: readonly string[], total: number, start: number): string {
  const entries = ids
    .map(
      (id) =>
        `<entry><id>http://arxiv.org/abs/${id}v1</id><title>Backfilled ${id}</title><summary>Summary of ${id}.</summary><author><name>A. Author</name></author><published>2024-01-03T00:00:00Z</published><arxiv:primary_category term="cs.LG"/></entry>`,
    )
    .join('');
  return `<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom"><opensearch:totalResults>${total}</opensearch:totalResults><opensearch:startIndex>${start}</opensearch:startIndex>${entries}</feed>`;
}
