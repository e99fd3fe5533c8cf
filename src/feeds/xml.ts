/**
 * The one place fast-xml-parser is configured, for feeds and OPML.
 *
 * Entity safety ("billion laughs"): `processEntities: false` switches the parser's own
 * entity handling off entirely, so DOCTYPE entity declarations are never expanded (the
 * parser still skips over a DOCTYPE, but the declared values are thrown away). Text comes
 * back raw and is decoded by `xmlCharData` (text.ts), a single pass over the five XML
 * entities, character references and a fixed table of HTML names; an undeclared or
 * DOCTYPE-declared name such as `&lol9;` stays as those literal characters.
 * `htmlEntities` stays false (deprecated in 5.x; we decode HTML names ourselves).
 */
import { XMLParser } from "fast-xml-parser";
import { xmlCharData } from "./text.js";

export type XmlNode = Record<string, unknown>;

/** Elements whose inner XML we take raw and decode ourselves (they may hold CDATA or XHTML). */
const RAW_TEXT_ELEMENTS = [
  "*.title",
  "*.description",
  "*.summary",
  "*.content",
  "*.content:encoded",
  "*.subtitle",
  "*.atom:title",
  "*.atom:summary",
  "*.atom:content",
];

export function makeXmlParser(rawTextElements: boolean): XMLParser {
  return new XMLParser({
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: false,
    attributeNamePrefix: "@_",
    textNodeName: "#text",
    cdataPropName: "#cdata",
    parseTagValue: false,
    parseAttributeValue: false,
    trimValues: true,
    ignoreDeclaration: true,
    ignorePiTags: true,
    stopNodes: rawTextElements ? RAW_TEXT_ELEMENTS : [],
  });
}

export function isNode(v: unknown): v is XmlNode {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function localName(key: string): string {
  const colon = key.indexOf(":");
  return colon === -1 ? key : key.slice(colon + 1);
}

/**
 * Children of `node` named `name`. With `anyPrefix`, `x:name` for any prefix matches as
 * well (namespaces are matched by local name: feeds use many prefixes for the same URI).
 */
export function children(node: unknown, name: string, anyPrefix = false): unknown[] {
  if (!isNode(node)) return [];
  const out: unknown[] = [];
  for (const key of Object.keys(node)) {
    if (key.startsWith("@_") || key.startsWith("#")) continue;
    if (key === name || (anyPrefix && localName(key) === name)) {
      const v = node[key];
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
  }
  return out;
}

export function child(node: unknown, name: string, anyPrefix = false): unknown {
  return children(node, name, anyPrefix)[0];
}

export function attr(node: unknown, name: string): string | null {
  if (!isNode(node)) return null;
  const v = node[`@_${name}`];
  return typeof v === "string" ? xmlCharData(v) : null;
}

/** The decoded character data of an element (raw text, CDATA, or text of nested markup). */
export function textOf(v: unknown): string {
  if (v === undefined || v === null) return "";
  if (typeof v === "string") return xmlCharData(v);
  if (typeof v === "number" || typeof v === "boolean") return String(v);
  if (Array.isArray(v)) return v.length > 0 ? textOf(v[0]) : "";
  if (!isNode(v)) return "";
  let out = "";
  for (const key of Object.keys(v)) {
    if (key.startsWith("@_")) continue;
    const val = v[key];
    if (key === "#cdata") {
      out += Array.isArray(val) ? val.map((x) => String(x)).join("") : String(val);
    } else if (key === "#text") {
      out += typeof val === "string" ? xmlCharData(val) : String(val);
    } else {
      // nested markup in an element we did not take raw: keep its text
      const parts = Array.isArray(val) ? val : [val];
      for (const part of parts) out += " " + textOf(part) + " ";
    }
  }
  return out;
}

/** Name of the document element, skipping declarations and processing instructions. */
export function rootName(doc: unknown): string | null {
  if (!isNode(doc)) return null;
  for (const key of Object.keys(doc)) {
    if (key.startsWith("?") || key.startsWith("#") || key.startsWith("!") || key.startsWith("@_")) continue;
    return key;
  }
  return null;
}
