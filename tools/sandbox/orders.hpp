// In-memory orders and refunds, shared by the APIv3 and APIv2 endpoints: an order created
// through one can be queried (and refunded) through either.
#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace wechatpay::sandbox {

struct Order {
  std::string appid{}, mchid{}, out_trade_no{}, transaction_id{}, description{}, notify_url{},
      attach{};
  std::string trade_type{};            // JSAPI, NATIVE, MICROPAY
  std::string trade_state = "NOTPAY";  // NOTPAY, SUCCESS, CLOSED, REFUND
  std::string openid{};
  std::int64_t total = 0;
  std::string currency = "CNY";
  std::int64_t create_time = 0, success_time = 0;
  std::int64_t refunded = 0;
};

struct Refund {
  std::string out_refund_no{}, refund_id{}, out_trade_no{}, transaction_id{};
  std::string status = "SUCCESS";
  std::int64_t refund = 0, total = 0;
  std::string currency = "CNY";
  std::int64_t create_time = 0;
};

// Why a refund was refused; empty when it was made.
struct RefundOutcome {
  std::optional<Refund> refund;
  std::string code, message;  // e.g. ORDER_NOT_EXIST, INVALID_REQUEST, NOT_ENOUGH
};

class OrderStore {
 public:
  // Stores a new order (assigning its transaction_id); nullopt when out_trade_no is taken.
  std::optional<Order> create(Order order);
  std::optional<Order> find(const std::string& out_trade_no) const;
  std::optional<Order> find_by_transaction(const std::string& transaction_id) const;
  // NOTPAY -> SUCCESS; the paid order, or nullopt when absent or not payable.
  std::optional<Order> pay(const std::string& out_trade_no, const std::string& openid);
  // NOTPAY -> CLOSED; false when absent or already paid.
  bool close(const std::string& out_trade_no);
  // Refunds part or all of a paid order named by out_trade_no or transaction_id.
  RefundOutcome refund(const std::string& out_trade_no, const std::string& transaction_id,
                       const std::string& out_refund_no, std::int64_t amount, std::int64_t total);
  std::optional<Refund> find_refund(const std::string& out_refund_no) const;
  // Every order, by out_trade_no (bills list them).
  std::vector<Order> all() const;

 private:
  const Order* locate(const std::string& out_trade_no, const std::string& transaction_id) const;
  mutable std::mutex mutex_;
  std::map<std::string, Order> orders_;                // by out_trade_no
  std::map<std::string, std::string> by_transaction_;  // transaction_id -> out_trade_no
  std::map<std::string, Refund> refunds_;              // by out_refund_no
};

}  // namespace wechatpay::sandbox
