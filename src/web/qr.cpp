// qr_svg: QR codes as SVG through libqrencode.
#include <qrencode.h>

#include <memory>
#include <string>

#include "web/pages.hpp"

namespace kaiku::web {
namespace {

constexpr int kQuietZone = 4;  // modules of white border required by ISO/IEC 18004

struct QrFree {
  void operator()(QRcode* q) const noexcept { QRcode_free(q); }
};

}  // namespace

std::string qr_svg(std::string_view text) {
  if (text.empty() || text.find('\0') != std::string_view::npos) return "";
  const std::string copy(text);
  std::unique_ptr<QRcode, QrFree> code(QRcode_encodeString(copy.c_str(), 0, QR_ECLEVEL_M, QR_MODE_8, 1));
  if (!code) return "";
  const int n = code->width;
  const int total = n + 2 * kQuietZone;
  std::string path;
  path.reserve(static_cast<std::size_t>(n) * n);
  for (int y = 0; y < n; ++y) {
    int x = 0;
    while (x < n) {
      if ((code->data[y * n + x] & 1) == 0) {
        ++x;
        continue;
      }
      int run = 1;
      while (x + run < n && (code->data[y * n + x + run] & 1)) ++run;
      path += "M" + std::to_string(x + kQuietZone) + " " + std::to_string(y + kQuietZone) + "h" +
              std::to_string(run) + "v1h-" + std::to_string(run) + "z";
      x += run;
    }
  }
  const std::string t = std::to_string(total);
  const std::string px = std::to_string(total * 8);
  return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 " + t + " " + t + "\" width=\"" + px +
         "\" height=\"" + px + "\" shape-rendering=\"crispEdges\"><rect width=\"" + t + "\" height=\"" + t +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"" + path + "\"/></svg>";
}

}  // namespace kaiku::web
