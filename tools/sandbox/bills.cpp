#include "bills.hpp"

#include <cstdint>
#include <cstdio>
#include <random>

#include "util.hpp"
#include "wechatpay/crypto/nonce.hpp"

namespace wechatpay::sandbox {
namespace {

constexpr std::size_t kKeptBills = 64;
constexpr int kFundflowRows = 2000;

// "1.23" for 123 fen.
std::string yuan(std::int64_t fen) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%s%lld.%02lld", fen < 0 ? "-" : "",
                static_cast<long long>((fen < 0 ? -fen : fen) / 100),
                static_cast<long long>((fen < 0 ? -fen : fen) % 100));
  return buffer;
}

// One CSV row of backquoted values, as WeChat Pay writes them (the backquote keeps spreadsheets
// from reading long numbers as numbers).
std::string row(std::initializer_list<std::string_view> values) {
  std::string line;
  for (auto value : values) {
    if (!line.empty()) line += ',';
    line += '`';
    line += value;
  }
  return line + "\n";
}

// A seed from the text (FNV-1a), so the same bill comes out the same on every platform.
std::uint64_t seed_of(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) hash = (hash ^ c) * 1099511628211ull;
  return hash;
}

std::string digits(std::mt19937_64& engine, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += static_cast<char>('0' + engine() % 10);
  return out;
}

std::string clock_time(std::string_view date, int second_of_day) {
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, " %02d:%02d:%02d", second_of_day / 3600 % 24,
                second_of_day / 60 % 60, second_of_day % 60);
  return std::string(date) + buffer;
}

// The orders paid on `date`, Beijing time.
std::vector<Order> paid_on(std::string_view date, const std::vector<Order>& orders) {
  std::vector<Order> paid;
  for (const auto& order : orders) {
    if (order.success_time != 0 && rfc3339_beijing(order.success_time).starts_with(date)) {
      paid.push_back(order);
    }
  }
  return paid;
}

}  // namespace

std::string BillStore::add(Bill bill) {
  std::string token = crypto::nonce(40);
  std::lock_guard lock(mutex_);
  bills_[token] = std::make_shared<const Bill>(std::move(bill));
  tokens_.push_back(token);
  if (tokens_.size() > kKeptBills) {
    bills_.erase(tokens_.front());
    tokens_.pop_front();
  }
  return token;
}

std::shared_ptr<const Bill> BillStore::find(const std::string& token) const {
  std::lock_guard lock(mutex_);
  auto it = bills_.find(token);
  return it == bills_.end() ? nullptr : it->second;
}

bool is_bill_date(std::string_view date) {
  int year = 0, month = 0, day = 0;
  char tail = 0;
  if (date.size() != 10 || date[4] != '-' || date[7] != '-' ||
      std::sscanf(std::string(date).c_str(), "%4d-%2d-%2d%c", &year, &month, &day, &tail) != 3) {
    return false;
  }
  static constexpr int kDays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  if (year < 2000 || month < 1 || month > 12 || day < 1) return false;
  return day <= (month == 2 && !leap ? 28 : kDays[month - 1]);
}

std::string trade_bill(std::string_view date, std::string_view type,
                       const std::vector<Order>& orders) {
  std::string bill =
      "交易时间,公众账号ID,商户号,特约商户号,设备号,微信订单号,商户订单号,用户标识,交易类型,"
      "交易状态,付款银行,货币种类,应结订单金额,代金券金额,微信退款单号,商户退款单号,退款金额,"
      "充值券退款金额,退款类型,退款状态,商品名称,商户数据包,手续费,费率,订单金额,申请退款金额,"
      "费率备注\n";
  std::int64_t count = 0, settled = 0, refunded = 0;
  auto add = [&](const std::string& time, const Order& order, bool refund) {
    const std::int64_t amount = refund ? order.refunded : order.total;
    const std::string fee = yuan(amount * 6 / 1000);
    bill += row({time,
                 order.appid,
                 order.mchid,
                 "0",
                 "",
                 order.transaction_id,
                 order.out_trade_no,
                 order.openid,
                 order.trade_type,
                 refund ? "REFUND" : "SUCCESS",
                 "OTHERS",
                 order.currency,
                 yuan(refund ? 0 : amount),
                 "0.00",
                 refund ? "50300000000000" : "0",
                 refund ? "R" + order.out_trade_no : "0",
                 yuan(refund ? amount : 0),
                 "0.00",
                 refund ? "ORIGINAL" : "",
                 refund ? "SUCCESS" : "",
                 order.description,
                 order.attach,
                 fee,
                 "0.60%",
                 yuan(order.total),
                 yuan(refund ? amount : 0),
                 ""});
    ++count;
    (refund ? refunded : settled) += amount;
  };
  std::vector<Order> rows = paid_on(date, orders);
  for (int i = 0; i < 3; ++i) {  // fixed rows, so an empty day still has a bill
    rows.push_back({.appid = "wxd678efh567hg6787",
                    .mchid = "1900000001",
                    .out_trade_no = "FIXED" + std::string(date) + "-" + std::to_string(i),
                    .transaction_id = "42000000" + std::to_string(20240601 + i) + "0000000000",
                    .description = "sandbox fixed row",
                    .trade_type = "JSAPI",
                    .trade_state = i == 2 ? "REFUND" : "SUCCESS",
                    .openid = "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o",
                    .total = 100 * (i + 1),
                    .refunded = i == 2 ? 100 : 0});
  }
  int second = 8 * 3600;
  for (const auto& order : rows) {
    const std::string time = clock_time(date, second += 61);
    if (type != "REFUND") add(time, order, false);
    if (type != "SUCCESS" && order.refunded > 0) add(time, order, true);
  }
  bill +=
      "总交易单数,应结订单总金额,退款总金额,充值券退款总金额,手续费总金额,订单总金额,"
      "申请退款总金额\n";
  bill += row({std::to_string(count), yuan(settled), yuan(refunded), "0.00",
               yuan((settled + refunded) * 6 / 1000), yuan(settled), yuan(refunded)});
  return bill;
}

std::string fundflow_bill(std::string_view date, std::string_view account_type,
                          const std::vector<Order>& orders) {
  std::string bill =
      "记账时间,微信支付业务单号,资金流水单号,业务名称,业务类型,收支类型,收支金额（元）,"
      "账户结余（元）,资金变更提交申请人,备注,业务凭证号\n";
  std::int64_t balance = 1'000'000, income = 0, income_count = 0, spent = 0, spent_count = 0;
  auto add = [&](const std::string& time, const std::string& business_id,
                 const std::string& flow_id, std::int64_t amount, const std::string& voucher) {
    balance += amount;
    (amount >= 0 ? income : spent) += amount >= 0 ? amount : -amount;
    ++(amount >= 0 ? income_count : spent_count);
    bill += row({time, business_id, flow_id, amount >= 0 ? "交易" : "退款",
                 amount >= 0 ? "交易" : "退款", amount >= 0 ? "收入" : "支出",
                 yuan(amount >= 0 ? amount : -amount), yuan(balance), "system",
                 std::string(account_type) + " sandbox", voucher});
  };
  int second = 0;
  for (const auto& order : paid_on(date, orders)) {
    add(clock_time(date, second += 7), order.transaction_id, "1900" + order.transaction_id,
        order.total, order.out_trade_no);
  }
  // Pseudo-random identifiers from a fixed seed: deterministic, and unlike repeated text they
  // do not compress away, so a gzip download is still many pieces.
  std::mt19937_64 engine(seed_of(std::string(date) + "/" + std::string(account_type)));
  for (int i = 0; i < kFundflowRows; ++i) {
    const std::int64_t amount = static_cast<std::int64_t>(engine() % 100'000) - 20'000;
    add(clock_time(date, second += 13), "4200" + digits(engine, 24), "1900" + digits(engine, 25),
        amount, "FLOW" + digits(engine, 16));
  }
  bill += "资金流水总笔数,收入笔数,收入金额,支出笔数,支出金额\n";
  bill += row({std::to_string(income_count + spent_count), std::to_string(income_count),
               yuan(income), std::to_string(spent_count), yuan(spent)});
  return bill;
}

}  // namespace wechatpay::sandbox
