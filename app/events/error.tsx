"use client";

import { ReportError } from "../../components/report-error";

export default function EventsError({ error, retry }: { error: unknown; retry: () => void }) {
  return <ReportError title="The event search could not be run" error={error} retry={retry} />;
}
