import { describe, expect, it } from "vitest";
import { MAX_BUSINESS_WEEKS } from "../../src/lang/check/calendars.js";
import { codesOf } from "../helpers.js";
import { mutate } from "../lang/fixtures.js";

// The fixture's calendar is open 34 hours on 5 days a week.
const within = (duration: string) => codesOf({ "p.policy": mutate("5 business hours", duration) }).map(([code]) => code);

describe("a business duration the calendar cannot reach", () => {
  it("20000 business hours (about 11 years of open time) is E0606, not a deadline never found", () => {
    expect(within("20000 business hours")).toEqual(["E0606"]);
  });

  it("the limit is 5 years of open time, in hours, minutes and days", () => {
    expect(within(`${34 * MAX_BUSINESS_WEEKS} business hours`)).toEqual([]);
    expect(within(`${34 * MAX_BUSINESS_WEEKS + 1} business hours`)).toEqual(["E0606"]);
    expect(within(`${34 * 60 * MAX_BUSINESS_WEEKS + 1} business minutes`)).toEqual(["E0606"]);
    expect(within(`${5 * MAX_BUSINESS_WEEKS} business days`)).toEqual([]);
    expect(within(`${5 * MAX_BUSINESS_WEEKS + 1} business days`)).toEqual(["E0606"]);
  });

  it("plain durations are not limited by a calendar", () => {
    expect(within("20000 hours")).toEqual([]);
  });
});
