// Namespace aliases for Boost.Asio, Beast and Asio's SSL. Include from .cpp files of the
// network modules only: these headers are heavy, and widely included headers stay free
// of them.
#pragma once

#include <boost/asio.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>

namespace zprov {
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
} // namespace zprov
