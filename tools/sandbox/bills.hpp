// Bills the sandbox issues: WeChat Pay's CSV layout (a header row, rows whose values start with
// a backquote, then a summary header and row), made when a bill is asked for and kept under an
// opaque download token until fetched from /v3/billdownload/file.
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "orders.hpp"

namespace wechatpay::sandbox {

struct Bill {
  std::string content;  // the CSV as its hash_value covers it
  bool gzip = false;    // asked for with tar_type=GZIP: sent compressed
};

class BillStore {
 public:
  // Keeps `bill` and returns its token; the oldest bills are dropped beyond a few dozen.
  std::string add(Bill bill);
  // The bill of `token`, or null.
  std::shared_ptr<const Bill> find(const std::string& token) const;

 private:
  mutable std::mutex mutex_;
  std::map<std::string, std::shared_ptr<const Bill>, std::less<>> bills_;
  std::deque<std::string> tokens_;  // oldest first
};

// True for a real calendar date written YYYY-MM-DD.
bool is_bill_date(std::string_view date);

// The trade bill of `date` (YYYY-MM-DD) of `type` (ALL, SUCCESS, REFUND): the orders paid that
// day (Beijing time) and a few fixed rows. Deterministic for the same orders.
std::string trade_bill(std::string_view date, std::string_view type,
                       const std::vector<Order>& orders);
// The fund flow bill of `date` for `account_type` (BASIC, OPERATION, FEES): the orders paid that
// day and 2,000 fixed rows (~330 KiB), so a download arrives in many pieces.
std::string fundflow_bill(std::string_view date, std::string_view account_type,
                          const std::vector<Order>& orders);

}  // namespace wechatpay::sandbox
