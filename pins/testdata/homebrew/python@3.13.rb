class PythonAT313 < Formula
  desc "Interpreted, interactive, object-oriented programming language"
  homepage "https://www.python.org/"
  url "https://www.python.org/ftp/python/3.13.14/Python-3.13.14.tgz"
  sha256 "5ae535a36af0ebca6fca176ecb8197f5db9c1cb8c8f0cd12cdf1787046db1f41"
  license "Python-2.0"
  revision 1
  compatibility_version 1

  livecheck do
    url "https://www.python.org/downloads/source/"
    regex(%r{href=.*?/Python[._-]v?(3\.13(?:\.\d+)*)\.t}i)
  end

  bottle do
    rebuild 1
    sha256 arm64_tahoe:   "a59256351f294c59ac6de0e1824a6039d79adf87c10540d513f0875c23f12f90"
    sha256 arm64_sequoia: "4feda6a62aaf3e9000ba2aa159fbbe32b0d61a1a48d83a358073f163a4a25ed9"
    sha256 arm64_sonoma:  "4e47c92010a9e7ba83b9fab769c2ab2492bc8227e5a030fb58aea8a82802fd43"
    sha256 tahoe:         "c09048600cff8db6668cd5a35a93bee682b2b6106f54da3ebe6b867ff4e4b898"
    sha256 sequoia:       "a3c2b5704ba0b7b71f635721bb5c9a5bb35e1ee3bfd5805153adf717c0ea695c"
    sha256 sonoma:        "44ce8d044d47a66aa2bf08c6f7122b190ac85b9223658c8bc7aa8f2a034c9ffa"
    sha256 arm64_linux:   "b42d053cf514d341c91c4baa1543196302f85e4d5b4dae301836bffe9b964fee"
    sha256 x86_64_linux:  "b4861c2c34fd473c24ceb734862f5b1691b46dc866017ce0a9c5e431c03ead45"
  end

  depends_on "pkgconf" => :build
  depends_on "mpdecimal"
  depends_on "openssl@3"
  depends_on "sqlite"
  depends_on "xz"

  pypi_packages package_name:   "",
                extra_packages: %w[flit-core pip wheel]

  resource "flit-core" do
    url "https://files.pythonhosted.org/packages/69/59/b6fc2188dfc7ea4f936cd12b49d707f66a1cb7a1d2c16172963534db741b/flit_core-3.12.0.tar.gz"
    sha256 "18f63100d6f94385c6ed57a72073443e1a71a4acb4339491615d0f16d6ff01b2"
  end

  resource "packaging" do
    url "https://files.pythonhosted.org/packages/d7/f1/e7a6dd94a8d4a5626c03e4e99c87f241ba9e350cd9e6d75123f992427270/packaging-26.2.tar.gz"
    sha256 "ff452ff5a3e828ce110190feff1178bb1f2ea2281fa2075aadb987c2fb221661"
  end

  resource "pip" do
    url "https://files.pythonhosted.org/packages/01/91/47e7d486260f618783899587af63ccf7980fb60245c3e63dd4571c6b57ad/pip-26.1.2.tar.gz"
    sha256 "f49cd134c61cf2fd75e0ce2676db03e4054504a5a4986d00f8299ae632dc4605"
  end

  resource "wheel" do
    url "https://files.pythonhosted.org/packages/39/62/75f18a0f03b4219c456652c7780e4d749b929eb605c098ce3a5b6b6bc081/wheel-0.47.0.tar.gz"
    sha256 "cc72bd1009ba0cf63922e28f94d9d83b920aa2bb28f798a31d0691b02fa3c9b3"
  end

  # Modify default sysconfig to match the brew install layout.
  patch do
    file "Patches/python/3.13-sysconfig.diff"
    type :unofficial
    resolves "https://bugs.python.org/issue43976"
  end
end
