// Service-hall shapes the portal and the console read alike (the server's public catalogue API).

export type ApplicantType = 'person' | 'enterprise' | 'both';

export interface BundleSummary {
  id: string;
  code: string;
  name: string;
  description: string;
  zone: string | null;
  items: { id: string; code: string; name: string; position: number }[];
}

export interface Department {
  id: string;
  code: string;
  name: string;
  items: number;
}

export type FieldType = 'text' | 'number' | 'date' | 'select' | 'checkbox' | 'idNumber' | 'creditCode' | 'phone';

export interface Hall {
  id: string;
  districtCode: string;
  name: string;
  address: string;
  ownItems: number;
  cityItems: number;
}

export interface Zone {
  id: string;
  code: string;
  name: string;
  nameEn: string;
  category: 'audience' | 'life_event' | 'topic';
  items: number;
  bundles: { code: string; name: string }[];
}
