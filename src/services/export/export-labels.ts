/**
 * Chinese display labels for stored codes in the template tables. Unknown codes are
 * shown as stored, so a value written by a newer version still exports.
 */

const KIND: Record<string, string> = { individual: '个人', company: '企业' };
const GENDER: Record<string, string> = { male: '男', m: '男', female: '女', f: '女' };
const ORDER_STATUS: Record<string, string> = {
  completed: '已完成',
  cancelled: '已取消',
  canceled: '已取消',
  pending: '待处理',
  refunded: '已退款',
};
const ROLE: Record<string, string> = {
  admin: '管理员',
  manager: '经理',
  sales: '销售',
  service: '客服',
  analyst: '分析师',
};

function label(map: Record<string, string>, value: string | null): string | null {
  if (value === null) return null;
  return map[value.toLowerCase()] ?? value;
}

export const kindLabel = (kind: string | null): string | null => label(KIND, kind);
export const genderLabel = (gender: string | null): string | null => label(GENDER, gender);
export const orderStatusLabel = (status: string | null): string | null => label(ORDER_STATUS, status);
export const roleLabel = (role: string | null): string | null => label(ROLE, role);
