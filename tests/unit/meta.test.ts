import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { extractTextMeta, parseLeadingDate } from "../../src/engine/meta.js";

const seed = (name: string) => readFileSync(new URL(`../fixtures/seeds/${name}`, import.meta.url), "utf8");

describe("extractTextMeta on the seed documents", () => {
  it("reads what each seed states and nothing more", () => {
    // 000: no outlet or date is printed in the text.
    expect(extractTextMeta(seed("000_7ec41403aca26861.txt"))).toEqual({ source: null, published: null });
    // 001: the syndication note names NDTV (the copyright line says Thomson Reuters: the feed, not the outlet).
    expect(extractTextMeta(seed("001_d11f9d2465d14c55.txt"))).toEqual({ source: "NDTV", published: null });
    // 002: the revision-tracking page names the source and the address carries the date.
    expect(extractTextMeta(seed("002_17178071b6bd281f.txt"))).toEqual({
      source: "The Guardian",
      published: "2016-07-18",
    });
    expect(extractTextMeta(seed("003_2f11906d63638778.txt"))).toEqual({
      source: "bne IntelliNews",
      published: "2016-07-18",
    });
    expect(extractTextMeta(seed("004_844a32d78c3c6d5d.txt"))).toEqual({
      source: "Reuters",
      published: "2011-12-04",
    });
  });
});

describe("extractTextMeta rules", () => {
  it("takes an outlet from a By line with a date, but never a person", () => {
    expect(extractTextMeta("Title\nBy bne IntelliNews July 18, 2016\n\nBody text.")).toEqual({
      source: "bne IntelliNews",
      published: "2016-07-18",
    });
    expect(extractTextMeta("Title\nBy Dmitry Solovyov July 18, 2016\nBody.")).toEqual({
      source: null,
      published: "2016-07-18",
    });
    expect(extractTextMeta("Title\nBy Dmitry Solovyov\nBody.")).toEqual({ source: null, published: null });
  });

  it("reads an agency dateline and a Posted line", () => {
    expect(extractTextMeta("Headline\nALMATY (Reuters) - Five suspected militants were killed.").source).toBe(
      "Reuters",
    );
    expect(extractTextMeta("Headline\nReuters News\nPosted: Dec 04, 2011 6:08 AM\nText.")).toEqual({
      source: "Reuters",
      published: "2011-12-04",
    });
    // An unknown name in brackets is not taken as an agency.
    expect(extractTextMeta("Headline\nLONDON (Bob) - something happened.").source).toBeNull();
  });

  it("reads Published / Posted lines as ECB+ articles print them (date only, no outlet)", () => {
    const cases: [string, string][] = [
      [
        "Ellen DeGeneres to host the Oscars\nPublished August 02, 2013\nEllen DeGeneres will host.",
        "2013-08-02",
      ],
      [
        "The Hunger Games sequel\npublished: 2012-04-04 11:47:35\nDuring the promotional period.",
        "2012-04-04",
      ],
      ["Pirates\nPosted on November 15, 2011 6:07:15 PM GMT+01:0\nIndian Naval Ship Sukanya.", "2011-11-15"],
      [
        "Posted: Nov 27, 2005 8:20 AM ET Last Updated: Nov 27, 2005 8:10 PM ET\nAn earthquake hit.",
        "2005-11-27",
      ],
    ];
    for (const [text, date] of cases)
      expect(extractTextMeta(text)).toEqual({ source: null, published: date });
    // An update line is not the publication date.
    expect(extractTextMeta("Head\nUpdated: July 19, 2016\nBody.").published).toBeNull();
  });

  it("falls back to a copyright line for the outlet only", () => {
    expect(extractTextMeta("Headline\nText of the story.\n© Thomson Reuters 2016")).toEqual({
      source: "Reuters",
      published: null,
    });
  });

  it("prefers the syndication note over the copyright line", () => {
    const text =
      "Head\nBody.\n© Thomson Reuters 2016\n(This story has not been edited by NDTV staff and is auto-generated from a syndicated feed.)";
    expect(extractTextMeta(text).source).toBe("NDTV");
  });

  it("does not read dates from the body", () => {
    const text = "Head\n" + "Filler line.\n".repeat(20) + "Posted: July 18, 2016\n";
    expect(extractTextMeta(text).published).toBeNull();
  });
});

describe("parseLeadingDate", () => {
  it("parses the plain forms and rejects impossible dates", () => {
    expect(parseLeadingDate("July 18, 2016")).toBe("2016-07-18");
    expect(parseLeadingDate("Dec 04, 2011 6:08 AM")).toBe("2011-12-04");
    expect(parseLeadingDate("18 July 2016")).toBe("2016-07-18");
    expect(parseLeadingDate("Sept. 3, 2019")).toBe("2019-09-03");
    expect(parseLeadingDate("2016-07-18T10:00:00Z")).toBe("2016-07-18");
    expect(parseLeadingDate("February 30, 2016")).toBeNull();
    expect(parseLeadingDate("Monday")).toBeNull();
    expect(parseLeadingDate("Mayor said")).toBeNull();
  });
});
