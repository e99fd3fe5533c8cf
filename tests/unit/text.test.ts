import { describe, expect, it } from "vitest";
import { datelineDate, dayToIso, eventDate, isPastSentence } from "../../src/engine/text/dates.js";
import { entityTokens, extractEntities } from "../../src/engine/text/entities.js";
import { extractPlaces, isKnownPlace } from "../../src/engine/text/places.js";
import { sentences, stem, terms } from "../../src/engine/text/tokenize.js";

describe("stem", () => {
  it("folds inflections of one word together", () => {
    expect(stem("attacks")).toBe(stem("attacked"));
    expect(stem("hosting")).toBe(stem("hosted"));
    expect(stem("fires")).toBe(stem("fired"));
    expect(stem("policies")).toBe("policy");
    expect(stem("running")).toBe("run");
  });
  it("maps irregular news verbs and nouns to one lemma", () => {
    expect(stem("killed")).toBe("kill");
    expect(stem("died")).toBe(stem("dead"));
    expect(stem("quakes")).toBe("earthquake");
    expect(stem("policemen")).toBe("police");
  });
  it("leaves short words and -ss/-us words alone", () => {
    expect(stem("bus")).toBe("bus");
    expect(stem("class")).toBe("class");
  });
});

describe("terms and sentences", () => {
  it("drops stopwords, weekdays and bare numbers", () => {
    expect(terms("The gunmen killed 4 policemen on Monday in Kazakhstan's capital.")).toEqual([
      "gunman",
      "kill",
      "police",
      "kazakhstan",
      "capital",
    ]);
  });
  it("splits lines and sentences but keeps abbreviations", () => {
    expect(
      sentences("ALMATY (Reuters) - Five were killed. Mr. Smith said the U.S. Army left.\nNext line"),
    ).toEqual(["ALMATY (Reuters) - Five were killed.", "Mr. Smith said the U.S. Army left.", "Next line"]);
  });
  it("folds whitespace runs, tabs and no-break spaces to one space", () => {
    expect(sentences("  Five\u00a0were  killed.\tMr. Smith left. \n\n Next\u2003line ")).toEqual([
      "Five were killed.",
      "Mr. Smith left.",
      "Next line",
    ]);
  });
});

describe("entities", () => {
  it("finds capitalised sequences and skips sentence-initial common words", () => {
    const keys = extractEntities([
      "The attack was claimed by no one, President Nursultan Nazarbayev said.",
      "Police said Nazarbayev would visit Almaty on Monday.",
    ]).map((e) => e.key);
    expect(keys).toContain("president nursultan nazarbayev");
    expect(keys).toContain("almaty");
    expect(keys).not.toContain("the");
    expect(keys).not.toContain("monday");
    expect(keys).not.toContain("police");
  });
  it("splits names into tokens for partial matches", () => {
    expect(entityTokens([{ key: "hugh jackman", text: "Hugh Jackman" }])).toEqual(["hugh", "jackman"]);
  });
});

describe("places", () => {
  it("reads gazetteer names, adjectives and datelines", () => {
    const text = "ALMATY (Reuters) - Gunmen attacked a police station.\nThe Kazakh government met in Astana.";
    const places = extractPlaces(text, extractEntities(sentences(text)));
    expect(places).toContain("almaty");
    expect(places).toContain("kazakhstan");
    expect(places).toContain("astana");
  });
  it("knows multi-word places", () => {
    expect(extractPlaces("A quake struck Sonoma County late on Thursday.", [])).toContain("sonoma county");
  });
  it("knows no place by an Object.prototype name", () => {
    expect(isKnownPlace("constructor")).toBe(false);
    expect(isKnownPlace("__proto__")).toBe(false);
    expect(isKnownPlace("french")).toBe(true);
    const ents = [{ key: "constructor", text: "Constructor" }];
    expect(extractPlaces("Constructor said so.", ents)).toEqual([]);
  });
  it("finds overlapping and repeated multi-word names, in gazetteer order", () => {
    const text = "Flights from New Mexico City and New Mexico to New York were cut; New York said so.";
    expect(extractPlaces(text, [])).toEqual(["new york", "new mexico", "mexico city"]);
  });
});

describe("dates", () => {
  it("reads a full date from the first lines only", () => {
    expect(
      dayToIso(Math.floor(datelineDate("Posted: Dec 04, 2011 6:08 AM\nSeven killed")!.getTime() / 864e5)),
    ).toBe("2011-12-04");
    expect(datelineDate("No date here.\nNone at all.")).toBeNull();
    expect(datelineDate("a\nb\nc\nd\ne\nf\ng\nJuly 18, 2016")).toBeNull();
  });
  it("resolves 'on Monday' against the publication date", () => {
    const ev = eventDate(
      ["Gunmen killed four policemen on Monday in Almaty."],
      new Date("2016-07-19T09:00:00Z"),
      null,
    );
    expect(ev && dayToIso(ev.day)).toBe("2016-07-18");
    expect(ev?.source).toBe("text");
  });
  it("falls back to the dateline, and to null without any date", () => {
    expect(eventDate(["Nothing relative here."], null, new Date("2011-12-04T06:08:00Z"))?.source).toBe(
      "dateline",
    );
    expect(eventDate(["Gunmen struck on Monday."], null, null)).toBeNull();
  });
  it("tells sentences that recall an earlier incident", () => {
    expect(
      isPastSentence("The incident echoes similar scenes in another city just a month earlier.", 2016),
    ).toBe(true);
    expect(isPastSentence("In 2011, a string of attacks hit the west of the country.", 2016)).toBe(true);
    expect(isPastSentence("Earlier this year, militants attacked a base.", 2016)).toBe(true);
    expect(isPastSentence("Police said the gunman was detained on Monday.", 2016)).toBe(false);
    expect(isPastSentence("The 2016 budget was passed in 2016.", 2016)).toBe(false);
  });
});
