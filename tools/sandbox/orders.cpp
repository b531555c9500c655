#include "orders.hpp"

#include "util.hpp"

namespace wechatpay::sandbox {

std::optional<Order> OrderStore::create(Order order) {
  std::lock_guard lock(mutex_);
  if (orders_.contains(order.out_trade_no)) return std::nullopt;
  // 4200 + date + digits: the shape of WeChat Pay's 28-digit transaction ids.
  order.transaction_id = "4200" + compact_beijing(now_seconds()).substr(0, 8) + random_digits(16);
  order.create_time = now_seconds();
  by_transaction_[order.transaction_id] = order.out_trade_no;
  return orders_[order.out_trade_no] = std::move(order);
}

const Order* OrderStore::locate(const std::string& out_trade_no,
                                const std::string& transaction_id) const {
  std::string key = out_trade_no;
  if (key.empty()) {
    auto it = by_transaction_.find(transaction_id);
    if (it == by_transaction_.end()) return nullptr;
    key = it->second;
  }
  auto it = orders_.find(key);
  return it == orders_.end() ? nullptr : &it->second;
}

std::optional<Order> OrderStore::find(const std::string& out_trade_no) const {
  std::lock_guard lock(mutex_);
  const Order* order = locate(out_trade_no, "");
  return order ? std::optional<Order>(*order) : std::nullopt;
}

std::optional<Order> OrderStore::find_by_transaction(const std::string& transaction_id) const {
  std::lock_guard lock(mutex_);
  const Order* order = locate("", transaction_id);
  return order ? std::optional<Order>(*order) : std::nullopt;
}

std::optional<Order> OrderStore::pay(const std::string& out_trade_no, const std::string& openid) {
  std::lock_guard lock(mutex_);
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end() || it->second.trade_state != "NOTPAY") return std::nullopt;
  it->second.trade_state = "SUCCESS";
  it->second.success_time = now_seconds();
  if (!openid.empty()) it->second.openid = openid;
  return it->second;
}

bool OrderStore::close(const std::string& out_trade_no) {
  std::lock_guard lock(mutex_);
  auto it = orders_.find(out_trade_no);
  if (it == orders_.end() || it->second.trade_state != "NOTPAY") return false;
  it->second.trade_state = "CLOSED";
  return true;
}

RefundOutcome OrderStore::refund(const std::string& out_trade_no, const std::string& transaction_id,
                                 const std::string& out_refund_no, std::int64_t amount,
                                 std::int64_t total) {
  std::lock_guard lock(mutex_);
  if (auto it = refunds_.find(out_refund_no); it != refunds_.end()) {
    return {it->second, "", ""};  // a retried refund answers as the first did
  }
  const Order* found = locate(out_trade_no, transaction_id);
  if (!found) return {std::nullopt, "ORDER_NOT_EXIST", "the order does not exist"};
  Order& order = orders_[found->out_trade_no];
  if (order.trade_state != "SUCCESS" && order.trade_state != "REFUND") {
    return {std::nullopt, "INVALID_REQUEST", "the order is not paid"};
  }
  if (total != order.total) {
    return {std::nullopt, "INVALID_REQUEST", "the total does not match the order's amount"};
  }
  if (amount <= 0 || order.refunded + amount > order.total) {
    return {std::nullopt, "NOT_ENOUGH", "the refund exceeds what is left of the order"};
  }
  order.refunded += amount;
  order.trade_state = "REFUND";
  Refund refund{.out_refund_no = out_refund_no,
                .refund_id = "5030" + random_digits(25),
                .out_trade_no = order.out_trade_no,
                .transaction_id = order.transaction_id,
                .refund = amount,
                .total = order.total,
                .create_time = now_seconds()};
  return {refunds_[out_refund_no] = refund, "", ""};
}

std::optional<Refund> OrderStore::find_refund(const std::string& out_refund_no) const {
  std::lock_guard lock(mutex_);
  auto it = refunds_.find(out_refund_no);
  return it == refunds_.end() ? std::nullopt : std::optional<Refund>(it->second);
}

std::vector<Order> OrderStore::all() const {
  std::lock_guard lock(mutex_);
  std::vector<Order> list;
  for (const auto& [out_trade_no, order] : orders_) list.push_back(order);
  return list;
}

}  // namespace wechatpay::sandbox
