#!/usr/bin/env node
// The `trailwatch` command. Trailwatch ships as TypeScript; tsx compiles it on load.
import { register } from "tsx/esm/api";

register();
await import("../lib/cli/main.ts");
