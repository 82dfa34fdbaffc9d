import { describe, expect, it } from "vitest";
import { CombinedError } from "urql";
import { GraphQLError } from "graphql";
import i18n from "./i18n";
import { describeProblem, problemOf } from "./errors";
import { SessionError } from "./auth/session";

function apiError(code: string, extra: Record<string, unknown> = {}, message = "raw") {
  return new CombinedError({ graphQLErrors: [new GraphQLError(message, { extensions: { code, ...extra } })] });
}

const say = (error: unknown) => describeProblem(problemOf(error)!, i18n.t.bind(i18n));

describe("API errors in words", () => {
  it("explains each booking refusal", async () => {
    await i18n.changeLanguage("en");
    expect(say(apiError("SLOT_TAKEN"))).toBe("Someone else just booked this time. Please choose another slot.");
    expect(say(apiError("TOO_LATE"))).toMatch(/too late to change/);
    expect(say(apiError("OUTSIDE_AVAILABILITY"))).toMatch(/does not offer this time/);
    expect(say(apiError("FORBIDDEN"))).toBe("You are not allowed to do this.");
  });

  it("says when a part of the system is down, and how long to wait when rate limited", async () => {
    await i18n.changeLanguage("en");
    expect(say(apiError("SUBREQUEST_HTTP_ERROR", { serviceName: "doctors" }))).toMatch(/not answering right now/);
    const limited = new SessionError([{ message: "Too many", code: "RATE_LIMITED", retryAfter: 30 }]);
    expect(say(limited)).toBe("Too many attempts. Please wait 30 seconds and try again.");
    // A subgraph's own throttle (sign-in attempts) names the wait in extensions.retryAfterSeconds.
    expect(say(apiError("RATE_LIMITED", { retryAfterSeconds: 4 }))).toBe("Too many attempts. Please wait 4 seconds and try again.");
    // The router's own limit: HTTP 429, a GraphQL error body, the wait in Retry-After.
    const refused = new Response(null, { status: 429, headers: { "retry-after": "7" } });
    const routerLimit = new CombinedError({
      graphQLErrors: [new GraphQLError("Too many requests; slow down and retry later.", { extensions: { code: "RATE_LIMITED" } })],
      response: refused,
    });
    expect(say(routerLimit)).toBe("Too many attempts. Please wait 7 seconds and try again.");
    const offline = new CombinedError({ networkError: new TypeError("Failed to fetch") });
    expect(say(offline)).toMatch(/offline/);
  });

  it("never shows an unknown code's raw message, and speaks German", async () => {
    await i18n.changeLanguage("en");
    expect(say(apiError("WHATEVER", {}, "Traceback (most recent call last)"))).toBe("Something went wrong on our side. Please try again.");
    expect(say(apiError("BAD_USER_INPUT", {}, "The password is too short."))).toBe("Please check what you entered: The password is too short.");
    await i18n.changeLanguage("de");
    expect(say(apiError("SLOT_TAKEN"))).toMatch(/gerade vergeben/);
    await i18n.changeLanguage("en");
  });
});
