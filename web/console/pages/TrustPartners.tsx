// Shell until its part is built (issue 4).
export default function TrustPartners() {
  return null;
}
