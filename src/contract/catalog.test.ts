// The contract's closed lists against the database enums Prisma generates: a value added to one
// and not the other fails here (and, for the types, in `tsc`).
import { describe, expect, it } from "vitest";
import * as Enums from "~/generated/prisma/enums";
import { API_TOKEN_SCOPES, DEVICE_CLASSES, EVENT_TYPES, JOB_STATUSES, PLAYER_STATES, PROVIDER_KINDS, STREAM_STATUSES } from "./index";

// Compile-time: every contract value is a value of the Prisma enum, and the other way round.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameTypes: [
  Same<(typeof EVENT_TYPES)[number], Enums.EventType>,
  Same<(typeof PLAYER_STATES)[number], Enums.PlayerState>,
  Same<(typeof DEVICE_CLASSES)[number], Enums.DeviceClass>,
  Same<(typeof PROVIDER_KINDS)[number], Enums.ProviderKind>,
  Same<(typeof STREAM_STATUSES)[number], Enums.StreamStatus>,
  Same<(typeof JOB_STATUSES)[number], Enums.JobStatus>,
  Same<(typeof API_TOKEN_SCOPES)[number], Enums.ApiTokenScope>,
] = [true, true, true, true, true, true, true];

describe("contract lists mirror the database enums", () => {
  it.each([
    ["EVENT_TYPES", EVENT_TYPES, Enums.EventType],
    ["PLAYER_STATES", PLAYER_STATES, Enums.PlayerState],
    ["DEVICE_CLASSES", DEVICE_CLASSES, Enums.DeviceClass],
    ["PROVIDER_KINDS", PROVIDER_KINDS, Enums.ProviderKind],
    ["STREAM_STATUSES", STREAM_STATUSES, Enums.StreamStatus],
    ["JOB_STATUSES", JOB_STATUSES, Enums.JobStatus],
    ["API_TOKEN_SCOPES", API_TOKEN_SCOPES, Enums.ApiTokenScope],
  ] as const)("%s", (_name, list, prismaEnum) => {
    expect(sameTypes.every(Boolean)).toBe(true);
    expect([...list]).toEqual(Object.values(prismaEnum));
  });
});
