import { ReportLoading } from "../../components/report-loading";

export default function Loading() {
  return <ReportLoading label="Loading the IAM audit" />;
}
