/**
 * Places named in a text: a small gazetteer (countries, their adjectives, US states, large
 * cities) plus cue words ("in", "near", "outside" + a capitalised name) and datelines
 * ("ALMATY (Reuters) -"). Returns lower-cased canonical names. Pure TypeScript.
 */
import type { Entity } from "./entities.js";
import { firstLines } from "./tokenize.js";

const COUNTRIES =
  "afghanistan albania algeria andorra angola argentina armenia australia austria azerbaijan bahamas bahrain " +
  "bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria " +
  "burundi cambodia cameroon canada chad chile china colombia congo croatia cuba cyprus czech denmark djibouti " +
  "dominica ecuador egypt eritrea estonia ethiopia fiji finland france gabon gambia georgia germany ghana " +
  "greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq ireland " +
  "israel italy jamaica japan jordan kazakhstan kenya kosovo kuwait kyrgyzstan laos latvia lebanon lesotho " +
  "liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta mauritania " +
  "mauritius mexico moldova monaco mongolia montenegro morocco mozambique myanmar namibia nepal netherlands " +
  "nicaragua niger nigeria norway oman pakistan palestine panama paraguay peru philippines poland portugal " +
  "qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia slovenia somalia spain " +
  "sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga tunisia turkey " +
  "turkmenistan uganda ukraine uruguay uzbekistan venezuela vietnam yemen zambia zimbabwe england scotland " +
  "wales britain kenya somaliland chechnya tibet crimea kashmir";

const MULTI =
  "united states|united kingdom|united arab emirates|saudi arabia|south africa|south korea|north korea|" +
  "new zealand|sri lanka|costa rica|el salvador|ivory coast|sierra leone|papua new guinea|czech republic|" +
  "dominican republic|south sudan|new york|los angeles|san francisco|las vegas|new orleans|hong kong|" +
  "new delhi|gulf of aden|middle east|north america|south america|latin america|west bank|gaza strip|" +
  "new jersey|new mexico|new hampshire|north carolina|south carolina|north dakota|south dakota|west virginia|" +
  "rhode island|sonoma county|san diego|san jose|salt lake city|rio de janeiro|buenos aires|kuala lumpur|" +
  "tel aviv|abu dhabi|cape town|mexico city|st petersburg";

const US_STATES =
  "alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois " +
  "indiana iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi " +
  "missouri montana nebraska nevada ohio oklahoma oregon pennsylvania tennessee texas utah vermont virginia " +
  "washington wisconsin wyoming";

const CITIES =
  "london paris berlin madrid rome moscow beijing shanghai tokyo delhi mumbai karachi lahore islamabad kabul " +
  "baghdad tehran damascus beirut cairo istanbul ankara athens dubai riyadh jerusalem nairobi lagos " +
  "johannesburg sydney melbourne toronto vancouver montreal chicago boston houston dallas seattle atlanta " +
  "miami detroit philadelphia phoenix denver almaty astana bishkek tashkent kiev kyiv warsaw prague vienna " +
  "brussels amsterdam geneva zurich stockholm oslo copenhagen dublin edinburgh manchester liverpool " +
  "birmingham glasgow wellington auckland bangkok jakarta manila seoul singapore hanoi dhaka kathmandu " +
  "mogadishu aden sanaa hollywood brooklyn manhattan bandar abbas qeshm bushehr shiraz isfahan " +
  "hormozgan sacramento oakland cupertino redmond";

const ADJECTIVE_NAMES: Record<string, string> = {
  american: "united states",
  british: "united kingdom",
  english: "england",
  french: "france",
  german: "germany",
  italian: "italy",
  spanish: "spain",
  russian: "russia",
  chinese: "china",
  japanese: "japan",
  indian: "india",
  pakistani: "pakistan",
  afghan: "afghanistan",
  iraqi: "iraq",
  iranian: "iran",
  syrian: "syria",
  israeli: "israel",
  palestinian: "palestine",
  egyptian: "egypt",
  turkish: "turkey",
  greek: "greece",
  kazakh: "kazakhstan",
  somali: "somalia",
  kenyan: "kenya",
  nigerian: "nigeria",
  mexican: "mexico",
  canadian: "canada",
  australian: "australia",
  brazilian: "brazil",
  ukrainian: "ukraine",
  polish: "poland",
  dutch: "netherlands",
  irish: "ireland",
  scottish: "scotland",
  welsh: "wales",
  saudi: "saudi arabia",
  yemeni: "yemen",
  sicilian: "sicily",
  californian: "california",
};

/** A Map, not the object: a name such as "constructor" must not find Object.prototype's. */
const ADJECTIVES: ReadonlyMap<string, string> = new Map(Object.entries(ADJECTIVE_NAMES));

const KNOWN: ReadonlySet<string> = new Set(
  [...(COUNTRIES + " " + US_STATES + " " + CITIES).split(/\s+/), ...MULTI.split("|"), "sicily"].filter(
    Boolean,
  ),
);

const CUE =
  /\b(?:in|near|outside|at|from|across|off|to)\s+((?:the\s+)?(?:[A-Z][\p{L}'’-]+)(?:\s+[A-Z][\p{L}'’-]+){0,2})/gu;
const DATELINE =
  /^\s*([A-Z][A-Z .'-]{2,30}?)(?:,\s*[A-Z][\p{L}. ]+)?\s*(?:\((?:Reuters|AP|AFP|CNN|UPI|dpa|Xinhua|IANS|PTI)\))?\s*[-—–]/u;

const MULTI_LIST = MULTI.split("|");
/**
 * Every position where a MULTI entry starts (a zero-width lookahead, so overlapping names such
 * as "new mexico" and "mexico city" are both seen; no entry is a prefix of another).
 */
const MULTI_AT = new RegExp(`(?=(${MULTI}))`, "g");

/** The MULTI_LIST entries that occur in `low` (as substrings, like `includes`), in list order. */
function multiIn(low: string): string[] {
  const hit = new Set<string>();
  for (const m of low.matchAll(MULTI_AT)) hit.add(m[1] as string);
  return hit.size ? MULTI_LIST.filter((m) => hit.has(m)) : [];
}

/** Places mentioned in `text` (with its entities), as canonical lower-case names. */
export function extractPlaces(text: string, entities: readonly Entity[]): string[] {
  const found = new Set<string>();
  const low = text.toLowerCase();
  for (const m of multiIn(low)) found.add(m);
  for (const e of entities) {
    if (KNOWN.has(e.key)) found.add(e.key);
    for (const t of e.key.split(" ")) {
      if (KNOWN.has(t)) found.add(t);
      const adj = ADJECTIVES.get(t);
      if (adj) found.add(adj);
    }
  }
  for (const m of text.matchAll(CUE)) {
    const name = (m[1] ?? "")
      .replace(/^the\s+/i, "")
      .replace(/[’']s$/u, "")
      .toLowerCase();
    if (KNOWN.has(name)) found.add(name);
  }
  for (const line of firstLines(text, 8)) {
    const d = DATELINE.exec(line);
    if (d && d[1] && /\(|[-—–]/.test(line)) {
      const name = d[1].trim().toLowerCase();
      if (name.length >= 3 && !/^(by|update|posted)/.test(name)) found.add(name);
    }
  }
  return [...found];
}

/** Whether a lower-case name is a known place (gazetteer only). */
export function isKnownPlace(name: string): boolean {
  return KNOWN.has(name) || ADJECTIVES.has(name);
}
