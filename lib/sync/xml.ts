/**
 * Safe XML parsing for feeds, with no DOM (a service worker has no DOMParser). Refuses, before
 * parsing: bodies over the cap, HTML pages, and documents that declare entities (feeds never do;
 * entity-expansion bombs always do). Entities are decoded by us, once, after parsing.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { decodeEntities } from '../normalize';
import { SyncError } from './errors';

/** A parsed element: child elements by local name, attributes as `@name`, text as `#text`. */
export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | XmlNode | XmlValue[];

/** Elements that may repeat in the formats we read; always arrays so one and many look alike. */
const REPEATED = new Set([
  'entry',
  'item',
  'author',
  'category',
  'link',
  'record',
  'setSpec',
  'version',
  'li',
  'day',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: true,
  isArray: (name) => REPEATED.has(name),
});

/** Default cap for one feed or API page. A combined-category RSS day is a few MB. */
export const MAX_XML_CHARS = 32 * 1024 * 1024;

const HTML_START = /^\s*(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>])/i;

/** Whether a body is an HTML page (error pages, captive portals, Cloudflare challenges). */
export function looksLikeHtml(text: string): boolean {
  return HTML_START.test(
    text
      .slice(0, 2048)
      .replace(/^\uFEFF/, '')
      .replace(/^<\?xml[^>]*\?>/, ''),
  );
}

/** Parses an XML body into plain objects, or throws a typed SyncError. */
export function parseXml(text: string, what: string, maxChars = MAX_XML_CHARS): XmlNode {
  if (text.length > maxChars) {
    throw new SyncError(
      'too-large',
      `The ${what} is larger than ${Math.round(maxChars / 1_048_576)} MB, so it was not read.`,
    );
  }
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') {
    throw new SyncError('malformed', `The ${what} was empty.`);
  }
  if (looksLikeHtml(body)) {
    throw new SyncError(
      'html-instead',
      `Got a web page instead of the ${what} (the service may be down or asking for a login).`,
    );
  }
  if (/<!DOCTYPE[^>]*\[/i.test(body) || /<!ENTITY/i.test(body)) {
    throw new SyncError(
      'entity-declaration',
      `The ${what} declares its own XML entities, which feeds never do; it was refused as unsafe.`,
    );
  }
  const valid = XMLValidator.validate(body);
  if (valid !== true) {
    throw new SyncError(
      'malformed',
      `The ${what} is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); it may have been cut off.`,
    );
  }
  let parsed: unknown;
  try {
    parsed = parser.parse(body);
  } catch (error) {
    // fast-xml-parser throws plain Errors on hostile shapes (nesting too deep, `<__proto__>`).
    throw new SyncError(
      'malformed',
      `The ${what} is nested too deeply or uses reserved names, so it was not read.`,
      { cause: error },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new SyncError('malformed', `The ${what} is not an XML document.`);
  }
  return parsed as XmlNode;
}

function isNode(value: XmlValue | undefined): value is XmlNode {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The child elements named `name` (always a list). */
export function children(node: XmlValue | undefined, name: string): XmlValue[] {
  if (!isNode(node)) return [];
  const value = node[name];
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** The first child element named `name`. */
export function child(node: XmlValue | undefined, name: string): XmlValue | undefined {
  return children(node, name)[0];
}

/** An attribute value, entity-decoded. */
export function attr(node: XmlValue | undefined, name: string): string | undefined {
  if (!isNode(node)) return undefined;
  const value = node[`@${name}`];
  return typeof value === 'string' ? decodeEntities(value) : undefined;
}

/** The text of an element (raw: entities still encoded), or '' when it has none. */
export function rawText(node: XmlValue | undefined): string {
  if (typeof node === 'string') return node;
  if (isNode(node)) {
    const text = node['#text'];
    if (typeof text === 'string') return text;
    if (Array.isArray(text)) return text.filter((part) => typeof part === 'string').join(' ');
  }
  return '';
}

/** The entity-decoded text of an element with whitespace collapsed. */
export function text(node: XmlValue | undefined): string {
  return decodeEntities(rawText(node)).replace(/\s+/g, ' ').trim();
}

/** Text of the first child named `name`. */
export function childText(node: XmlValue | undefined, name: string): string {
  return text(child(node, name));
}
