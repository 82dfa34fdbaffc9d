import { describe, expect, it } from "vitest";
import i18n from "../i18n";
import { describeRule } from "./rrule";

const say = (rule: string) => describeRule(rule, i18n.t.bind(i18n));

describe("a series' rule in words", () => {
  it("says weekly and every N weeks on the weekday", async () => {
    await i18n.changeLanguage("en");
    expect(say("FREQ=WEEKLY;COUNT=4;BYDAY=TU")).toBe("weekly on Tuesday");
    expect(say("FREQ=WEEKLY;INTERVAL=2;UNTIL=20300501T215959Z;BYDAY=FR")).toBe("every 2 weeks on Friday");
  });

  it("says the weekday of the month, the last one included", async () => {
    await i18n.changeLanguage("en");
    expect(say("FREQ=MONTHLY;COUNT=3;BYDAY=2TU")).toBe("monthly on the 2nd Tuesday");
    expect(say("FREQ=MONTHLY;INTERVAL=3;COUNT=3;BYDAY=3WE")).toBe("every 3 months on the 3rd Wednesday");
    expect(say("FREQ=MONTHLY;COUNT=3;BYDAY=-1FR")).toBe("monthly on the last Friday");
  });

  it("speaks German", async () => {
    await i18n.changeLanguage("de");
    expect(say("FREQ=MONTHLY;COUNT=3;BYDAY=1MO")).toBe("monatlich am 1. Montag");
    expect(say("FREQ=WEEKLY;INTERVAL=2;COUNT=3;BYDAY=TH")).toBe("alle 2 Wochen am Donnerstag");
    await i18n.changeLanguage("en");
  });
});
