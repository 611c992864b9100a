// Records as the API returns them.

/** Topic is a category of petitions (lĩnh vực). */
export interface Topic {
  id: number
  code: string
  name_vi: string
  name_en: string
  response_days: number
  papi_dimension: string
  active: boolean
  version: number
}

/** User is an account as the users API returns it. */
export interface User {
  id: number
  username: string
  full_name: string
  role: string
  unit_id: number
  active: boolean
  version: number
}

/** dimensions are the PAPI index's eight dimensions, in the index's order. */
export const dimensions = [
  'participation',
  'transparency',
  'vertical_accountability',
  'control_of_corruption',
  'administrative_procedures',
  'public_service_delivery',
  'environmental_governance',
  'e_governance',
]

/** roles lists the roles, most powerful first. */
export const roles = ['admin', 'district_official', 'commune_chair', 'secretary', 'inspector']
